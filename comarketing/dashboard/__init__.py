"""The staff home page: the state of co-marketing at a glance."""
