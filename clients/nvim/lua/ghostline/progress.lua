-- Shows the server's `$/progress` reports (long actions) in the command line and keeps the latest
-- one for statuslines (`require('ghostline').status()`). Neovim's own handler still runs, so
-- vim.lsp.status() (0.10+) and the LspProgress / LspProgressUpdate events keep working.
local M = {}

--- The latest report: { title, message, percentage, done } or nil.
M.current = nil
--- Every report seen, oldest first (bounded): what the e2e tests read.
M.history = {}

local titles = {}

local function render(report)
  local parts = { 'ghostline' }
  if report.title then
    table.insert(parts, report.title)
  end
  if report.message then
    table.insert(parts, report.message)
  end
  if report.percentage then
    table.insert(parts, report.percentage .. '%')
  end
  if report.done then
    table.insert(parts, 'done')
  end
  return table.concat(parts, ' · ')
end

function M.handler(err, result, ctx, config)
  local default = vim.lsp.handlers['$/progress']
  if default then
    pcall(default, err, result, ctx, config)
  end
  if type(result) ~= 'table' or type(result.value) ~= 'table' then
    return
  end
  local value = result.value
  local token = tostring(result.token)
  if value.kind == 'begin' then
    titles[token] = value.title
  end
  local report = {
    title = titles[token],
    message = value.message,
    percentage = value.percentage,
    done = value.kind == 'end',
  }
  if report.done then
    titles[token] = nil
  end
  M.current = not report.done and report or nil
  table.insert(M.history, report)
  if #M.history > 100 then
    table.remove(M.history, 1)
  end
  if require('ghostline.config').options.progress ~= false then
    vim.api.nvim_echo({ { render(report), report.done and 'Comment' or 'MoreMsg' } }, false, {})
  end
end

--- A short status for statuslines: the running report, or ''.
function M.status()
  return M.current and render(M.current) or ''
end

return M
