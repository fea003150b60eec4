# logging as TF programs use it: one Logger per name, whose settings can be read and set;
# what loggers write goes to stderr, so stdout holds only the prints
import logging
logging.getLogger("tensorflow").setLevel(logging.ERROR)
log = logging.getLogger(__name__)
log.info("hidden")
lg = logging.getLogger("tensorflow")
print(lg is logging.getLogger("tensorflow"), lg.name, lg.disabled, lg.propagate, logging.getLogger().name)
lg.disabled = True
lg.propagate = False
print(logging.getLogger("tensorflow").disabled, lg.propagate, logging.ERROR, logging.WARNING)
logging.basicConfig(level=logging.INFO)
