"""family-time: the referral and paperwork pipeline of a Family Time service."""

__version__ = "0.1.0"
