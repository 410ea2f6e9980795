// The drop-in globals as page code sees them, for page.evaluate callbacks.
declare var BX: any
declare var BX24: any
