-- The plugin's options: defaults, the merge of the user's `setup(opts)` onto them, and the
-- client configuration (cmd, capabilities, handlers) every way of starting the server shares.
local M = {}

M.defaults = {
  -- How to start the server; installing it from a clone (README.md, "Install") puts `ghostline` on PATH.
  -- Or its full path, e.g. { 'node', '/path/to/ghostline/bin/ghostline.js', '--stdio' }.
  cmd = { 'ghostline', '--stdio' },
  -- Extra environment for the server process, e.g. { OPENAI_BASE_URL = 'http://127.0.0.1:11434/v1' }.
  -- GHOSTLINE_LOG_LEVEL defaults to 'warn' here (see M.server_env).
  cmd_env = nil,
  -- Filetypes to attach to; nil attaches to every buffer backed by a file.
  filetypes = nil,
  exclude_filetypes = { 'help', 'qf', 'netrw', 'TelescopePrompt', 'lazy', 'mason' },
  root_markers = { '.ghostline.json', '.git' },
  -- The `ghostline` settings section (docs/configuration.md); sent as initializationOptions and
  -- answered on workspace/configuration.
  settings = {},
  -- Ask the server for `ghostline/stream` notifications: action output rendered live in a float.
  streaming = true,
  ghost_text = {
    enabled = true,
    -- 'auto' uses Neovim's own inline completion (0.12+) when present, extmarks otherwise.
    native = 'auto',
    debounce_ms = 50,
    hl_group = 'GhostlineSuggestion',
  },
  -- Insert-mode keys; set one to false to leave it unmapped.
  keys = {
    accept = '<M-l>',
    accept_word = '<M-w>',
    dismiss = '<C-]>',
  },
  -- Set 'completefunc' (<C-x><C-u>) to a completion that honours the items' textEdit ranges.
  completefunc = true,
  -- Echo `$/progress` reports of the server (actions) in the command line.
  progress = true,
  -- Called after the plugin's own attach logic: function(client, bufnr).
  on_attach = nil,
}

M.options = vim.deepcopy(M.defaults)

function M.merge(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  -- Lists replace rather than merge (tbl_deep_extend would merge them index by index).
  for _, key in ipairs({ 'cmd', 'filetypes', 'exclude_filetypes', 'root_markers' }) do
    if opts and opts[key] ~= nil then
      M.options[key] = opts[key]
    end
  end
  return M.options
end

--- Client capabilities: Neovim's own, plus inline completion (so the server offers it even where
--- Neovim renders it itself through this plugin) and the opt-in for streamed action output.
function M.capabilities(options)
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.textDocument = capabilities.textDocument or {}
  capabilities.textDocument.inlineCompletion = capabilities.textDocument.inlineCompletion
    or { dynamicRegistration = false }
  capabilities.experimental = capabilities.experimental or {}
  capabilities.experimental.ghostlineStream = options.streaming ~= false
  return capabilities
end

--- The handlers of ghostline's own messages, bound lazily so `lsp/ghostline.lua` stays cheap.
function M.handlers(options)
  local handlers = {
    ['ghostline/stream'] = function(...)
      return require('ghostline.stream').handler(...)
    end,
  }
  if options.progress ~= false then
    handlers['$/progress'] = function(...)
      return require('ghostline.progress').handler(...)
    end
  end
  return handlers
end

--- The server's environment: `cmd_env` plus GHOSTLINE_LOG_LEVEL=warn unless the user chose a level.
--- Neovim copies every line a server writes to stderr into lsp.log as [ERROR] (0.7 and later), so
--- the server's routine info lines would read as errors there; warnings and errors stay visible.
--- `settings.log.level` (or `settings.log.file`) still applies on top: settings outrank the environment.
function M.server_env(options)
  local env = vim.tbl_extend('force', {}, options.cmd_env or {})
  if env.GHOSTLINE_LOG_LEVEL == nil and (vim.env.GHOSTLINE_LOG_LEVEL or '') == '' then
    env.GHOSTLINE_LOG_LEVEL = 'warn'
  end
  return env
end

--- The settings as a JSON object: an empty Lua table would be encoded as an array (`[]`), which
--- the server reports as a configuration problem.
function M.settings_object(settings)
  if settings == nil or vim.tbl_isempty(settings) then
    return vim.empty_dict()
  end
  return settings
end

--- The client configuration shared by start_client (0.7), vim.lsp.start (0.8+) and vim.lsp.config (0.11+).
function M.client_config(options)
  options = options or M.options
  return {
    name = 'ghostline',
    cmd = options.cmd,
    cmd_env = M.server_env(options),
    init_options = M.settings_object(options.settings),
    settings = { ghostline = M.settings_object(options.settings) },
    capabilities = M.capabilities(options),
    handlers = M.handlers(options),
    on_attach = function(client, bufnr)
      require('ghostline').on_attach(client, bufnr)
    end,
  }
end

--- True for buffers ghostline should serve: backed by a file, of a wanted filetype.
function M.wanted(bufnr, options)
  options = options or M.options
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= '' then
    return false
  end
  if vim.api.nvim_buf_get_name(bufnr) == '' then
    return false
  end
  local ft = vim.bo[bufnr].filetype
  if vim.tbl_contains(options.exclude_filetypes or {}, ft) then
    return false
  end
  return options.filetypes == nil or vim.tbl_contains(options.filetypes, ft)
end

--- The configuration for vim.lsp.config/enable (0.11+): a root_dir function that finds the
--- project root and declines buffers ghostline should not serve (help, quickfix, scratch buffers).
function M.enable_config(options)
  local client_config = M.client_config(options)
  client_config.filetypes = options.filetypes
  client_config.root_dir = function(bufnr, on_dir)
    if M.wanted(bufnr, options) then
      on_dir(require('ghostline.util').root(vim.api.nvim_buf_get_name(bufnr), options.root_markers))
    end
  end
  return client_config
end

return M
