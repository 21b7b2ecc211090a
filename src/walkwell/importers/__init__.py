"""Device files in, ``walkwell.core.model.Track`` out. No database here."""
