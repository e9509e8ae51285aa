"""LBF's grant frameworks (bevillingsrammer) as data: ``catalogue`` reads ``data/*.json``."""
