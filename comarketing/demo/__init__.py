"""The demo data set: the product's story in data, scalable for benchmarks."""
