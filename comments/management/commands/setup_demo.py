from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "What `make run` does before serving, in one process (Django starts once, not three "
        "times): migrate, load the demo articles and staff login, then the demo comments."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("load_demo_content", verbosity=verbosity)
        call_command("load_demo_comments", verbosity=verbosity)
