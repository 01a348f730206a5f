"""The partner portal: partners see and do their own part of co-marketing."""
