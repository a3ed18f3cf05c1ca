"""Engines: run the pipeline over many inputs (local processes; Spark)."""
