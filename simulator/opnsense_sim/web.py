"""What the web server answers outside /api/: the login page at / and lighttpd's 404 handler.

A client pointed at the wrong URL (the web root, a typo'd prefix) then sees what a real firewall
shows it: an HTML login page or an HTML "not found" page, never JSON.
"""

from __future__ import annotations

import html
import secrets

from .environment import Environment
from .http import Request, Response

LOGIN_PATHS = {"/", "/index.php"}


def login_page(env: Environment) -> str:
    product = html.escape(env.product_name)
    return f"""<!doctype html>
<html lang="en-US" class="no-js">
  <head>
    <meta charset="UTF-8" />
    <meta name="robots" content="noindex, nofollow" />
    <meta name="viewport" content="width=device-width, initial-scale=1, minimum-scale=1" />
    <title>Login | {product}</title>
    <link href="/ui/themes/opnsense/build/css/main.css" rel="stylesheet">
  </head>
  <body class="page-login">
  <div class="container">
    <main class="login-modal-container">
      <header class="login-modal-head" style="height:50px;">
        <div class="navbar-brand"><img src="/ui/themes/opnsense/build/images/default-logo.svg" height="30" alt="logo" /></div>
      </header>
      <div class="login-modal-content">
        <div id="inputerrors" class="text-danger">&nbsp;</div><br />
        <form class="clearfix" id="iform" name="iform" method="post" autocomplete="off">
          <div class="form-group">
            <label for="usernamefld">Username:</label>
            <input id="usernamefld" type="text" name="usernamefld" class="form-control user" tabindex="1" autofocus="autofocus" autocapitalize="off" autocorrect="off" />
          </div>
          <div class="form-group">
            <label for="passwordfld">Password:</label>
            <input id="passwordfld" type="password" name="passwordfld" class="form-control pwd" tabindex="2" />
          </div>
          <button type="submit" name="login" value="1" class="btn btn-primary pull-right">Login</button>
        </form>
      </div>
    </main>
    <div class="login-foot text-center">
      <a target="_blank" href="https://opnsense.org/">{product}</a> (c) 2014-2026
      <a target="_blank" href="https://www.deciso.com/">Deciso B.V.</a>
    </div>
  </div>
  </body>
</html>
"""


NOT_FOUND = """<!doctype html>
<html lang="en-US">
  <head><meta charset="UTF-8" /><title>Page not found | OPNsense</title></head>
  <body><h1>Page not found</h1><p>The requested page could not be found.</p></body>
</html>
"""


def handle(env: Environment, req: Request) -> Response:
    """GET/POST/HEAD / (and /index.php) give the login page; anything else lighttpd's 404 handler."""
    if req.path in LOGIN_PATHS:
        resp = Response.html(login_page(env))
        resp.headers["Set-Cookie"] = f"PHPSESSID={secrets.token_hex(16)}; path=/; secure; HttpOnly; SameSite=Lax"
        resp.headers["Cache-Control"] = "no-store, no-cache, must-revalidate"
        return resp
    return Response.html(NOT_FOUND, status=404)
