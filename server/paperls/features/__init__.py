"""Editor features as queries over the workspace model; plain results, no protocol types."""
