"""Risk (issue 12): distributions over the one parameter tree, designs, the chain per chunk, Dask."""
