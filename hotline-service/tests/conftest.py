"""Makes the hotline test builders and fakes importable as ``hotline_builders`` / ``hotline_fakes``.

The names carry the service's: every service's tests run in one pytest process, where two ``unit.builders``
would be one module.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
