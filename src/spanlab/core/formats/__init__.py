"""Pure format modules (import and export) behind one registry, see ``registry``."""
