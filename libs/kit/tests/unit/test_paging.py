import pytest
from onematter_kit.paging import fetch_page
from sqlalchemy import Integer, String, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class _Base(DeclarativeBase):
    pass


class _Row(_Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)


@pytest.mark.parametrize(("columns", "expected"), [(1, [3, 4]), (2, [(3, "r3"), (4, "r4")])])
async def test_a_page_holds_the_ordered_slice_and_the_total_of_the_whole_query(columns, expected):
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as conn:
        await conn.run_sync(_Base.metadata.create_all)
    async with async_sessionmaker(engine)() as session:
        session.add_all(_Row(id=i, name=f"r{i}") for i in range(1, 8))
        await session.commit()
        entity = select(_Row) if columns == 1 else select(_Row.id, _Row.name)
        rows, total = await fetch_page(
            session, entity.where(_Row.id > 1).order_by(_Row.id), limit=2, offset=1
        )
    await engine.dispose()
    got = [r.id for r in rows] if columns == 1 else [tuple(r) for r in rows]
    assert (got, total) == (expected, 6)
