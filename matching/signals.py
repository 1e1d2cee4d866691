"""What matching tells the apps that follow it (internships): matching never imports them.

Receivers run inside the sender's transaction, so one that fails undoes the change it was told of.
"""

from django.dispatch import Signal

# A placement was made final (both sides accepted the match). Arguments: placement, by (the user whose answer
# made it final). Internships starts the internship and its checklist.
placement_created = Signal()
