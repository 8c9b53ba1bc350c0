"""The register's pages, one module per subject."""
