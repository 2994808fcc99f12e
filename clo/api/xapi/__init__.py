"""Learning records (xAPI): clo pulls the ``completed`` and ``passed`` statements of the activities mapped to
programs from the council's Learning Record Store, and sends it the attendance and completions recorded in clo."""
