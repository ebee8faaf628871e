"""Getting evidence to the institution: the hub client over HTTP and USB-stick bundles."""
