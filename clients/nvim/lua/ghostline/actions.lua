-- ghostline's code actions from Neovim: the native menu through the vim.lsp.buf call each
-- release offers (0.7's code_action(context) / range_code_action, 0.8+'s code_action(opts)), and
-- running one named action directly with `workspace/executeCommand` (the server then streams the
-- model output and applies the edit with `workspace/applyEdit`).
local util = require('ghostline.util')

local M = {}

M.names = { 'refactor', 'refactorWithInstruction', 'refactorVariants', 'explain', 'generateTests', 'fix', 'document' }

--- True for actions the ghostline server offered (its commands are all `ghostline.*`).
function M.is_ghostline(action)
  local command = action.command
  local name = type(command) == 'table' and command.command or command
  if type(name) == 'string' and name:match('^ghostline%.') then
    return true
  end
  if type(action.kind) == 'string' and action.kind:match('ghostline') then
    return true
  end
  return type(action.data) == 'table' and action.data.ghostline ~= nil
end

--- Opens Neovim's code-action menu restricted to ghostline's actions.
--- opts: { only = {kinds}, range = {start={row,col}, ['end']={row,col}} (1-based rows, 0-based cols), apply = bool }
function M.code_action(opts)
  opts = opts or {}
  local context = opts.only and { only = opts.only } or nil
  if util.has('0.8') then
    vim.lsp.buf.code_action({ context = context, range = opts.range, apply = opts.apply, filter = M.is_ghostline })
  elseif opts.range then
    vim.lsp.buf.range_code_action(context, opts.range.start, opts.range['end'])
  else
    vim.lsp.buf.code_action(context)
  end
end

--- The LSP range of rows first..last (1-based, whole lines) or, without rows, of the cursor line.
local function line_range(bufnr, first, last, encoding)
  if not first then
    first = vim.api.nvim_win_get_cursor(0)[1]
    last = first
  end
  local last_line = util.line(bufnr, last - 1)
  return {
    start = { line = first - 1, character = 0 },
    ['end'] = { line = last - 1, character = util.lsp_col(last_line, #last_line, encoding) },
  }
end

--- The diagnostic to fix: the first one on the range's first line, as the server sent it.
local function diagnostic_at(bufnr, range)
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = range.start.line })) do
    local lsp = d.user_data and d.user_data.lsp
    if lsp then
      return { message = lsp.message, source = lsp.source, code = lsp.code, range = lsp.range }
    end
    return {
      message = d.message,
      source = d.source,
      code = d.code,
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col } },
    }
  end
  return nil
end

--- Runs one action by name on a range of lines. opts: { line1, line2, instruction, on_done }.
function M.run(name, opts)
  opts = opts or {}
  local bufnr = vim.api.nvim_get_current_buf()
  local client = util.client(bufnr)
  if not client then
    util.notify('not attached to this buffer (:Ghostline start)', vim.log.levels.WARN)
    return
  end
  if not vim.tbl_contains(M.names, name) then
    util.notify('unknown action ' .. tostring(name) .. '; one of ' .. table.concat(M.names, ', '), vim.log.levels.ERROR)
    return
  end
  if name == 'refactorWithInstruction' and not opts.instruction then
    vim.ui.input({ prompt = 'ghostline instruction: ' }, function(input)
      if input and input ~= '' then
        M.run(name, vim.tbl_extend('force', opts, { instruction = input }))
      end
    end)
    return
  end
  local range = line_range(bufnr, opts.line1, opts.line2, client.offset_encoding)
  local args = { uri = vim.uri_from_bufnr(bufnr), range = range, version = util.version(bufnr), instruction = opts.instruction }
  if name == 'fix' then
    args.diagnostic = diagnostic_at(bufnr, range)
  end
  util.request(client, 'workspace/executeCommand', { command = 'ghostline.' .. name, arguments = { args } }, function(err, result)
    if err then
      util.notify(name .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    end
    if opts.on_done then
      opts.on_done(err, result)
    end
  end, bufnr)
end

return M
