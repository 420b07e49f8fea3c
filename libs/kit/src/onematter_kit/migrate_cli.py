"""``python -m onematter_kit.migrate_cli {upgrade,revision} <migrations dir> [-m message]``.

``revision`` autogenerates a migration against a scratch SQLite database brought to head first, so a
developer needs no running database to write one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from alembic import command

from onematter_kit.migrations import alembic_config, upgrade_to_head


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["upgrade", "revision"])
    parser.add_argument("migrations", type=Path)
    parser.add_argument("-m", "--message", default="change")
    args = parser.parse_args()
    if args.action == "upgrade":
        asyncio.run(upgrade_to_head(args.migrations, os.environ["DATABASE_URL"]))
        return
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/scratch.db"
        asyncio.run(upgrade_to_head(args.migrations, url))
        command.revision(alembic_config(args.migrations, url), message=args.message, autogenerate=True)


if __name__ == "__main__":
    main()
