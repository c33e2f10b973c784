# The newsroom's dates, as the public pages write them ("5 Dec 2026, 14:03"), for what Django's
# admin draws itself (a read-only time on a change form, an object's History). Its English
# default was "Dec. 5, 2026, 2:03 p.m.", a third way beside the pages' and the desk's.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
