"""Data files shipped inside the package (read with importlib.resources), such as the price table."""
