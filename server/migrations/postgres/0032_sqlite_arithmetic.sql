-- SQLite's arithmetic and collation under SQLite's names, so that the queries both databases
-- share read the same on both (issue 23). The server's connections put `public` before
-- `pg_catalog` in their search path (`db::open_postgres`), so these take the place of the
-- built-in ones of the same signature in its queries (not in anyone else's session):
-- * `sum(bigint)` is a `bigint`, as SQLite's sum of integers is an integer (PostgreSQL's own is
--   a `numeric`, which reads into no Rust integer); too large a sum is an error on both;
-- * `avg(bigint)` and `avg(integer)` are a `double precision`, as SQLite's `avg` is a real
--   (PostgreSQL's own is a `numeric`);
-- * `round(double precision, integer)`, as SQLite's `round(x, n)` (half away from zero);
-- * `julianday(text)` of a stored time, as SQLite's: days since noon on 24 November 4714 BC;
-- * `COLLATE NOCASE` compares and sorts without regard to case (ICU's level 2 of the root
--   locale; SQLite's folds ASCII letters only, and this every script's: the same for the
--   numbers, codes and Latin names it is used on).

CREATE AGGREGATE public.sum(bigint) (
    SFUNC = pg_catalog.int8pl,
    STYPE = bigint
);

CREATE FUNCTION public.pj_avg_step(state double precision[], x bigint)
RETURNS double precision[] LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT pg_catalog.float8_accum(state, x::double precision) $$;

CREATE AGGREGATE public.avg(bigint) (
    SFUNC = public.pj_avg_step,
    STYPE = double precision[],
    FINALFUNC = pg_catalog.float8_avg,
    INITCOND = '{0,0,0}'
);

CREATE FUNCTION public.pj_avg_step(state double precision[], x integer)
RETURNS double precision[] LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT pg_catalog.float8_accum(state, x::double precision) $$;

CREATE AGGREGATE public.avg(integer) (
    SFUNC = public.pj_avg_step,
    STYPE = double precision[],
    FINALFUNC = pg_catalog.float8_avg,
    INITCOND = '{0,0,0}'
);

CREATE FUNCTION public.julianday(ts text) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT EXTRACT(EPOCH FROM CAST(ts AS timestamp))::double precision / 86400 + 2440587.5 $$;

CREATE FUNCTION public.round(x double precision, digits integer) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT pg_catalog.round(x::numeric, digits)::double precision $$;

CREATE COLLATION public.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
