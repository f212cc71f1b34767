-- ghostline's client configuration for Neovim 0.11+: `vim.lsp.enable('ghostline')` starts it for
-- every filetype (filetypes left unset); override with vim.lsp.config('ghostline', {...}).
-- require('ghostline').setup() calls both for you, with its options merged in.
local config = require('ghostline.config')

local client_config = config.client_config(config.options)
client_config.root_markers = config.options.root_markers
client_config.filetypes = config.options.filetypes

return client_config
