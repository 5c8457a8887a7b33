-- The hot ledger table keeps one secondary index (per line, for the customer's history);
-- the per-bundle index cost every charging write more than the ledger check gains from it.
DROP INDEX ledger_bundle;
