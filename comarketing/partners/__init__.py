"""Partners: the CRM integrators the vendor markets with."""
