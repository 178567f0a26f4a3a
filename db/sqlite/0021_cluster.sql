-- Several nodes on one server database (issue 14): nodes, leases and Quartz's clustered job store exist on PostgreSQL
-- and SQL Server only. SQLite is single-node (one process owns the file; cluster mode refuses it at start-up), so this
-- script creates nothing and keeps the migration numbers the same in every dialect.
SELECT 1;
