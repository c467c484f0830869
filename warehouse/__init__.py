"""cadres warehouse: ingest, refresh and command line."""
