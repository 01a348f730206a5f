"""comarketing: the vendor's co-marketing with partners, from plan to ROI."""

from comarketing.app import create_app

__all__ = ["create_app"]
