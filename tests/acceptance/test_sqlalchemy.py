"""SQLAlchemy on each of the three drivers: create_all, round trips, rollback, error classes, reflection.

Each test runs on MariaDB and on app (see _harness.py) and compares what SQLAlchemy saw: the values
read back with their Python types, the exception classes and MySQL error numbers, the reflected schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from _harness import Sides, Target, plain, require_module

sa = require_module("sqlalchemy", "SQLAlchemy")
from sqlalchemy import orm  # noqa: E402  (after the skip when SQLAlchemy is absent)
from sqlalchemy.dialects import mysql  # noqa: E402

# pytest id -> (SQLAlchemy dialect driver, module, package)
DRIVERS = {
    "pymysql": ("pymysql", "pymysql", "PyMySQL"),
    "mysqlclient": ("mysqldb", "MySQLdb", "mysqlclient"),
    "mysql-connector": ("mysqlconnector", "mysql.connector", "mysql-connector-python"),
}
# What each driver needs to give up on a server that stops answering, instead of hanging the test.
TIMEOUTS = {
    "pymysql": {"connect_timeout": 5, "read_timeout": 30},
    "mysqldb": {"connect_timeout": 5, "read_timeout": 30},
    "mysqlconnector": {"connection_timeout": 30},
}


@pytest.fixture(params=list(DRIVERS))
def driver(request: pytest.FixtureRequest) -> str:
    dialect, module, package = DRIVERS[request.param]
    require_module(module, package)
    return dialect


class Base(orm.DeclarativeBase):
    """Constraints without names, as most models declare them (test_alembic.py names them)."""


class Author(Base):
    __tablename__ = "author"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.Unicode(50), nullable=False, unique=True)
    born = sa.Column(sa.Date)


class Book(Base):
    __tablename__ = "book"
    __table_args__ = (
        sa.UniqueConstraint("author_id", "title"),
        sa.Index("ix_book_price_published", "price", "published"),
    )
    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    author_id = sa.Column(sa.ForeignKey("author.id"), nullable=False, index=True)
    title = sa.Column(sa.Unicode(200), nullable=False)
    price = sa.Column(sa.Numeric(10, 2))
    ratio = sa.Column(sa.Numeric(6, 4))
    cover = sa.Column(sa.LargeBinary)
    digest = sa.Column(sa.LargeBinary(32).with_variant(mysql.VARBINARY(32), "mysql"))
    published = sa.Column(sa.DateTime)
    pages = sa.Column(sa.SmallInteger)


class Review(Base):
    __tablename__ = "review"
    id = sa.Column(sa.BigInteger, primary_key=True)
    book_id = sa.Column(sa.ForeignKey("book.id", ondelete="CASCADE"), nullable=False)
    stars = sa.Column(sa.SmallInteger, nullable=False)
    body = sa.Column(sa.Text)


@pytest.fixture
def engines(driver: str) -> Iterator[Any]:
    """engine(target): a SQLAlchemy engine on the target's database; all disposed at teardown."""
    made: list[Any] = []

    def engine(target: Target) -> Any:
        eng = sa.create_engine(target.url(driver), connect_args=TIMEOUTS[driver], poolclass=sa.pool.NullPool)
        made.append(eng)
        return eng

    yield engine
    for eng in made:
        eng.dispose()


def error_of(exc: Any) -> list[Any]:
    """What a client sees of a failed statement: SQLAlchemy's class, the driver's, the MySQL error number."""
    orig = exc.orig
    code = getattr(orig, "errno", None) or (orig.args[0] if orig.args and isinstance(orig.args[0], int) else None)
    return [type(exc).__name__, type(orig).__name__, code]


COVER = bytes(range(256)) * 3  # every byte value, most of them not UTF-8


def test_create_all_and_round_trips(sides: Sides, engines: Any) -> None:
    def scenario(target: Target) -> Any:
        eng = engines(target)
        Base.metadata.create_all(eng)
        with orm.Session(eng) as s:
            zoe = Author(id=1, name="Zoë 北京 🎉", born=date(1970, 1, 2))
            s.add_all([zoe, Author(id=2, name="O'Brien \\ \"q\"", born=None)])
            s.flush()
            s.add_all([
                Book(author_id=1, title="Ünïcode", price=Decimal("1234.56"), ratio=Decimal("-0.0125"), cover=COVER,
                     digest=bytes.fromhex("00ff80fe") * 8, published=datetime(2024, 2, 29, 23, 59, 58), pages=-5),
                Book(author_id=1, title="nulls", price=None, ratio=None, cover=None, digest=None, published=None),
                Book(author_id=2, title="edges", price=Decimal("99999999.99"), ratio=Decimal("99.9999"), cover=b"",
                     digest=b"\x00", published=datetime(1000, 1, 1), pages=32767),
            ])
            s.commit()
        with orm.Session(eng) as s:
            books = s.scalars(sa.select(Book).order_by(Book.id)).all()
            rows = [[b.id, b.author_id, b.title, b.price, b.ratio, b.cover, b.digest, b.published, b.pages]
                    for b in books]
            assert rows[0][5] == COVER and rows[0][3] == Decimal("1234.56")
            total = s.scalar(sa.select(sa.func.sum(Book.price)))
            by_author = s.execute(sa.select(Author.name, sa.func.count(Book.id)).join(Book).group_by(Author.name)
                                  .order_by(Author.name)).all()
            authors = s.execute(sa.select(Author.name, Author.born).order_by(Author.id)).all()
            found = s.scalar(sa.select(Book.title).where(Book.cover == COVER))  # a BLOB as a bound parameter
        return plain({"books": rows, "sum": total, "by_author": [list(r) for r in by_author],
                      "authors": [list(r) for r in authors], "found": found})

    sides.compare(scenario)


def test_rollback_after_failed_flush(sides: Sides, engines: Any) -> None:
    def scenario(target: Target) -> Any:
        eng = engines(target)
        Base.metadata.create_all(eng)
        seen: dict[str, Any] = {}
        with orm.Session(eng) as s:
            s.add(Author(id=1, name="first"))
            s.flush()
            s.add(Author(id=2, name="first"))  # duplicate name
            with pytest.raises(sa.exc.IntegrityError) as info:
                s.flush()
            seen["error"] = error_of(info.value)
            s.rollback()  # undoes the first flush too: one transaction
            seen["after_rollback"] = s.scalar(sa.select(sa.func.count()).select_from(Author))
            s.add(Author(id=3, name="second"))
            s.commit()
        with eng.connect() as conn:  # another connection sees only what was committed
            seen["committed"] = conn.execute(sa.select(Author.id, Author.name)).all()
        assert seen["after_rollback"] == 0 and [tuple(r) for r in seen["committed"]] == [(3, "second")], seen
        return plain({**seen, "committed": [list(r) for r in seen["committed"]]})

    sides.compare(scenario)


def test_integrity_error_classes(sides: Sides, engines: Any) -> None:
    def scenario(target: Target) -> Any:
        eng = engines(target)
        Base.metadata.create_all(eng)
        with eng.begin() as conn:
            conn.execute(sa.insert(Author), [{"id": 1, "name": "a"}])
            conn.execute(sa.insert(Book), [{"id": 1, "author_id": 1, "title": "t"}])
        violations = {
            "duplicate key (1062)": sa.insert(Author).values(id=2, name="a"),
            "no parent row (1452)": sa.insert(Book).values(id=2, author_id=99, title="x"),
            "parent row in use (1451)": sa.delete(Author).where(Author.id == 1),
            "NULL into NOT NULL (1048)": sa.update(Book).values(title=None),
            "out of range (1264)": sa.update(Book).values(pages=70000),
            "too long (1406)": sa.update(Author).values(name="x" * 51),
        }
        seen = {}
        for what, statement in violations.items():
            with eng.connect() as conn:
                with pytest.raises(sa.exc.DBAPIError) as info:
                    conn.execute(statement)
                seen[what] = error_of(info.value)
                conn.rollback()
        # What every MySQL client library raises, from the error's SQLSTATE class (23000, 22xxx).
        wrong = {what: error for what, error in seen.items()
                 if error[0] != ("DataError" if error[2] in (1264, 1406) else "IntegrityError")}
        assert not wrong, f"exception classes that MySQL's SQLSTATEs would not give: {wrong}"
        return seen

    sides.compare(scenario)


def test_reflection(sides: Sides, engines: Any) -> None:
    def scenario(target: Target) -> Any:
        eng = engines(target)
        Base.metadata.create_all(eng)
        insp = sa.inspect(eng)
        seen: dict[str, Any] = {"tables": sorted(insp.get_table_names())}
        for table in seen["tables"]:
            seen[table] = {
                "columns": [[c["name"], str(c["type"]), c["nullable"], c.get("default"), c.get("autoincrement")]
                            for c in insp.get_columns(table)],
                "pk": insp.get_pk_constraint(table)["constrained_columns"],
                "fks": sorted(insp.get_foreign_keys(table), key=lambda f: str(f["name"])),
                "indexes": sorted(insp.get_indexes(table), key=lambda i: str(i["name"])),
                "unique": sorted(insp.get_unique_constraints(table), key=lambda u: str(u["name"])),
            }
        book = seen["book"]
        fks = book["fks"]
        assert [f["referred_table"] for f in fks] == ["author"], f"foreign keys reflected on book: {fks}"
        assert {i["name"] for i in book["indexes"]} >= {"ix_book_author_id", "ix_book_price_published"}, book
        assert [u["column_names"] for u in book["unique"]] == [["author_id", "title"]], book
        assert [f["options"] for f in seen["review"]["fks"]] == [{"ondelete": "CASCADE"}], seen["review"]
        # Tables made by create_all from what was reflected are the same tables again.
        copy = sa.MetaData()
        copy.reflect(eng)
        target.create_database("copy")
        copy_eng = engines(Target(target.side, target.host, target.port, target.user, target.password,
                                  f"{target.database}_copy"))
        copy.create_all(copy_eng)
        again = sa.inspect(copy_eng)
        assert [again.get_foreign_keys(t) for t in seen["tables"]] == [seen[t]["fks"] for t in seen["tables"]]
        return seen

    sides.compare(scenario)
