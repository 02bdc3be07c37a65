"""Settings stored in the database: declared by each app, cached in Redis, the environment's
value winning when it is set (README "Settings stored in the database")."""
