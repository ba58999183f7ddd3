// ModelcRegistry: the versioned artifact store (SQLite index + content-addressed blobs).
