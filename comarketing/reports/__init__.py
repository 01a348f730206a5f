"""Attribution credits and the co-marketing ROI reports."""
