-- ghostline's client configuration for Neovim 0.11+: `vim.lsp.enable('ghostline')` starts it for
-- every buffer backed by a file (filetypes left unset); override with vim.lsp.config('ghostline', {...}).
-- require('ghostline').setup() calls both for you, with its options merged in.
local config = require('ghostline.config')

return config.enable_config(config.options)
