-- The retention purge also removes search texts and article-flag comments (see
-- calllog/store/purge.py); the purge log counts them.

ALTER TABLE purges ADD COLUMN searches integer NOT NULL DEFAULT 0;
ALTER TABLE purges ADD COLUMN feedback integer NOT NULL DEFAULT 0;
