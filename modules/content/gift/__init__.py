"""Moodle GIFT files -> Sightline quiz modules (parse.py reads GIFT, convert.py writes our format)."""
