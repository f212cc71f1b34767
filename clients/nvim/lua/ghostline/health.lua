-- :checkhealth ghostline: Neovim version, the server command, the API key or local endpoint, and
-- the clients running now. vim.health (0.10+) or require('health').report_* (0.7–0.9).
local M = {}

local function reporter()
  local h = vim.health
  if h and h.start then
    return h.start, h.ok, h.warn, h.error, h.info
  end
  local old = require('health')
  return old.report_start, old.report_ok, old.report_warn, old.report_error, old.report_info
end

function M.check()
  local start, ok, warn, error, info = reporter()
  local config = require('ghostline.config')
  local util = require('ghostline.util')
  local options = config.options

  start('ghostline: Neovim')
  local version = vim.version()
  local label = string.format('%d.%d.%d', version.major, version.minor, version.patch)
  if not util.has('0.7') then
    error('Neovim ' .. label .. ' is too old; ghostline needs 0.7 or newer')
  else
    local ghost = vim.lsp.inline_completion and vim.lsp.inline_completion.enable and 'native inline completion'
      or 'ghost text drawn by the plugin (extmarks)'
    ok('Neovim ' .. label .. ': ' .. ghost)
  end
  if not require('ghostline').did_setup and not util.has('0.11') then
    warn("require('ghostline').setup() has not been called; the server starts only after it (or :Ghostline start)")
  end

  start('ghostline: server')
  local cmd = options.cmd or {}
  local exe = cmd[1]
  if not exe or vim.fn.executable(exe) ~= 1 then
    error(string.format('%s is not executable', tostring(exe)), {
      'in a ghostline clone: npm ci && npm pack && npm install -g ./ghostline-*.tgz',
      'or without Node: npm run build:binary there and put dist/ghostline-linux-x64 on PATH as ghostline',
      "or give the full path in setup(): cmd = { 'node', '/path/to/ghostline/bin/ghostline.js', '--stdio' }",
    })
  else
    local probe = vim.tbl_filter(function(arg)
      return arg ~= '--stdio'
    end, cmd)
    table.insert(probe, '--version')
    local output = vim.fn.system(probe)
    if vim.v.shell_error == 0 then
      ok(string.format('%s: ghostline %s', vim.fn.exepath(exe), vim.trim(output)))
    else
      error(string.format('%s --version failed: %s', exe, vim.trim(output)))
    end
  end

  start('ghostline: model access')
  local env = vim.tbl_extend('force', {}, options.cmd_env or {})
  local providers = (options.settings or {}).providers or {}
  local openai = providers.openai or {}
  local key = env.OPENAI_API_KEY or vim.env.OPENAI_API_KEY or openai.apiKey
  local base = env.OPENAI_BASE_URL or vim.env.OPENAI_BASE_URL or openai.baseUrl
  if key and key ~= '' then
    ok('an OpenAI API key is set')
  elseif base then
    ok('no API key; using the endpoint ' .. base)
  else
    warn('no OPENAI_API_KEY and no base URL: suggestions stay empty', { 'export OPENAI_API_KEY=...', 'or point settings.providers.openai.baseUrl at a local server' })
  end

  start('ghostline: clients')
  local running = vim.tbl_filter(function(c)
    return c.name == 'ghostline'
  end, vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients())
  if #running == 0 then
    info('no ghostline client is running')
  end
  for _, client in ipairs(running) do
    local caps = client.server_capabilities or {}
    local features = {}
    for _, name in ipairs({ 'completionProvider', 'inlineCompletionProvider', 'codeActionProvider', 'executeCommandProvider' }) do
      if caps[name] then
        table.insert(features, name)
      end
    end
    ok(string.format('client %d (root %s, %s): %s', client.id, tostring(client.config.root_dir), client.offset_encoding or 'utf-16', table.concat(features, ', ')))
  end
end

return M
