"""Planning webinars, registering people, recording attendance. Services flush; callers commit."""
