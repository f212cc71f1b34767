-- ghostline for Neovim 0.7–0.12: `setup(opts)` starts the ghostline language server for file
-- buffers (vim.lsp.config/enable on 0.11+, vim.lsp.start on 0.8–0.10, start_client and
-- buf_attach_client on 0.7) and wires ghost text, completion, actions, streaming and progress.
local config = require('ghostline.config')
local util = require('ghostline.util')

local M = {}

M.did_setup = false
local clients_by_root = {}

local function define_highlights()
  vim.api.nvim_set_hl(0, 'GhostlineSuggestion', { link = 'Comment', default = true })
end

--- Attaches the server to `bufnr`, starting one client per project root (0.7–0.10 path).
function M.attach_buffer(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not config.wanted(bufnr) or util.client(bufnr) then
    return
  end
  local root = util.root(vim.api.nvim_buf_get_name(bufnr), config.options.root_markers)
  local client_config = config.client_config(config.options)
  client_config.root_dir = root
  client_config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
  if vim.lsp.start then
    vim.api.nvim_buf_call(bufnr, function()
      vim.lsp.start(client_config)
    end)
    return
  end
  local id = clients_by_root[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    client_config.on_exit = function()
      clients_by_root[root] = nil
    end
    id = vim.lsp.start_client(client_config)
    if not id then
      util.notify('could not start ' .. table.concat(config.options.cmd, ' '), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function map_keys(bufnr, native)
  local keys = config.options.keys or {}
  local function imap(lhs, fn, desc)
    if lhs then
      vim.keymap.set('i', lhs, function()
        return fn(lhs)
      end, { buffer = bufnr, expr = true, silent = true, desc = desc })
    end
  end
  local ghost = require('ghostline.ghost')
  if native then
    imap(keys.accept, function(lhs)
      return vim.lsp.inline_completion.get({ bufnr = bufnr }) and '' or lhs
    end, 'ghostline: accept the suggestion')
  else
    imap(keys.accept, function(lhs)
      return ghost.visible(bufnr) and '<Cmd>lua require("ghostline").accept()<CR>' or lhs
    end, 'ghostline: accept the suggestion')
    imap(keys.accept_word, function(lhs)
      return ghost.visible(bufnr) and '<Cmd>lua require("ghostline").accept_word()<CR>' or lhs
    end, 'ghostline: accept the next word')
    imap(keys.dismiss, function(lhs)
      return ghost.visible(bufnr) and '<Cmd>lua require("ghostline").dismiss()<CR>' or lhs
    end, 'ghostline: dismiss the suggestion')
  end
end

local function native_inline()
  local choice = config.options.ghost_text.native
  local available = vim.lsp.inline_completion ~= nil and vim.lsp.inline_completion.enable ~= nil
  if choice == 'auto' then
    return available
  end
  return choice == true and available
end

--- Runs for each buffer the client attaches to (set as the client's on_attach).
function M.on_attach(client, bufnr)
  local options = config.options
  local native = native_inline()
  if options.ghost_text.enabled ~= false then
    if native then
      vim.lsp.inline_completion.enable(true, { bufnr = bufnr })
    else
      require('ghostline.ghost').attach(bufnr)
    end
  end
  map_keys(bufnr, native)
  if options.completefunc ~= false then
    vim.bo[bufnr].completefunc = "v:lua.require'ghostline.complete'.completefunc"
  end
  vim.api.nvim_create_autocmd('CompleteDone', {
    group = vim.api.nvim_create_augroup('ghostline_complete_' .. bufnr, { clear = true }),
    buffer = bufnr,
    callback = function()
      require('ghostline.complete').on_complete_done(bufnr)
    end,
  })
  if options.on_attach then
    options.on_attach(client, bufnr)
  end
end

--- Configures and starts ghostline. See :help ghostline-setup.
function M.setup(opts)
  config.merge(opts)
  define_highlights()
  M.did_setup = true
  if util.has('0.11') and vim.lsp.config and vim.lsp.enable and config.options.use_lsp_enable ~= false then
    vim.lsp.config('ghostline', config.enable_config(config.options))
    vim.lsp.enable('ghostline')
    return
  end
  local group = vim.api.nvim_create_augroup('ghostline_attach', { clear = true })
  vim.api.nvim_create_autocmd({ 'FileType', 'BufReadPost', 'BufNewFile' }, {
    group = group,
    callback = function(event)
      M.attach_buffer(event.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.attach_buffer(bufnr)
    end
  end
end

function M.accept()
  return require('ghostline.ghost').accept()
end

function M.accept_word()
  return require('ghostline.ghost').accept_word()
end

function M.dismiss()
  return require('ghostline.ghost').dismiss()
end

--- Asks for a suggestion now (Insert mode), without waiting for the debounce.
function M.suggest()
  if native_inline() then
    vim.lsp.inline_completion.get()
  else
    require('ghostline.ghost').request(vim.api.nvim_get_current_buf(), 1)
  end
end

--- Stops the clients of this buffer (or all ghostline clients).
function M.stop(all)
  local list = all and (vim.lsp.get_clients and vim.lsp.get_clients({ name = 'ghostline' }) or vim.tbl_filter(function(c)
    return c.name == 'ghostline'
  end, vim.lsp.get_active_clients())) or util.clients(0)
  for _, client in ipairs(list) do
    if util.has('0.11') then
      client:stop()
    else
      client.stop()
    end
  end
  clients_by_root = {}
end

--- Fetches the server's counters (`ghostline.stats`); calls on_result(err, stats).
function M.stats(on_result)
  local client = util.client(0)
  if not client then
    util.notify('not attached to this buffer', vim.log.levels.WARN)
    return
  end
  util.request(client, 'workspace/executeCommand', { command = 'ghostline.stats', arguments = {} }, function(err, result)
    if on_result then
      on_result(err, result)
      return
    end
    if err then
      util.notify('stats failed: ' .. (err.message or ''), vim.log.levels.ERROR)
      return
    end
    local lines = {}
    for _, key in ipairs(vim.tbl_keys(result or {})) do
      table.insert(lines, string.format('%-18s %s', key, vim.inspect(result[key])))
    end
    table.sort(lines)
    vim.lsp.util.open_floating_preview(lines, 'text', { border = 'rounded', focus_id = 'ghostline_stats' })
  end, 0)
end

--- A statusline component: the running action's progress, or ''.
function M.status()
  return require('ghostline.progress').status()
end

return M
