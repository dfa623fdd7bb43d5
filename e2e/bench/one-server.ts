// Imported first by the bench config: benches measure one Kiln, with no second server's work beside it.
process.env.KILN_E2E_WORKERS ??= '1';
