"""Extension objects, created unbound; ``create_app`` initialises each on the app."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from comarketing.core.api import JsonApi
from comarketing.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
limiter = Limiter(key_func=get_remote_address)
api = JsonApi()

# Models subclass ``Model``: Flask-SQLAlchemy's ``db.Model`` at run time, and for the type
# checker the typed declarative ``Base`` it is built from (``db.Model`` is not a static type).
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
