"""Benchmarks that print figures and assert nothing: `make bench` runs each as `python -m bench.NAME`."""
