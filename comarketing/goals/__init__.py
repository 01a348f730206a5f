"""Program goals (contract §9): KPI targets in multiples — the ×2.5 and ×7 trajectories — with
their progress month by month, computed from the leads and payments the ROI report reads."""
