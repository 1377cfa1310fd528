"""The download portal: the pack as web pages (``packgen serve``, ``packgen site``).

Built on the same engine as the CLI. Modules, each importing only earlier ones:

- ``pages``     copy files into HTML and the Jinja2 templates (``templates/``);
- ``catalogue`` the default pack built once: PDFs, thumbnails, zip, listing;
- ``upload``    form fields and an uploaded logo into checked inputs or field errors;
- ``jobs``      co-branded packs built in worker processes, cached by request content;
- ``site``      the listing written as a static site;
- ``app``       the Starlette application (routes, limits, error pages).
"""
