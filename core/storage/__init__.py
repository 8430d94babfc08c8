"""Persistence: SQLAlchemy async engine, ORM tables, Alembic migrations, repositories."""
