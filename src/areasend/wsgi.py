import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "areasend.settings.base")
application = get_wsgi_application()

# Refuse to start rather than serve an error on every page (production links hashed static files).
from areasend.core.staticfiles import manifest_problems  # noqa: E402

if problems := manifest_problems():
    raise ImproperlyConfigured(" ".join(problems))
