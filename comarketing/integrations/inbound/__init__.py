"""What comes back from the CRMs (contract §8): their events are stored and acknowledged at
once (``receive``), then read and applied by the worker (``worker``): the CRM's object is read
(``client``), turned into a plain state (``states``), tied to our lead and applied
(``apply``). ``sync`` reads everything changed since the last sync the same way."""
