-- Drives a headless Neovim like a person at the keyboard: a scenario runs in a coroutine that
-- feeds keys, then yields to the event loop (so typeahead, autocmds and LSP messages are handled
-- exactly as in an interactive session) until a condition holds. Observations are written as
-- JSON to $GHOSTLINE_E2E_RESULT for the vitest side to assert on; Neovim then quits.
local T = {}

local results = { observations = {}, log = {} }
local result_path = assert(os.getenv('GHOSTLINE_E2E_RESULT'), 'GHOSTLINE_E2E_RESULT is not set')
local finished = false

local function finish(err)
  if finished then
    return
  end
  finished = true
  results.ok = err == nil
  results.error = err and tostring(err) or nil
  vim.fn.writefile({ vim.fn.json_encode(results) }, result_path)
  vim.cmd('qall!')
end

function T.record(key, value)
  results.observations[key] = value
end

function T.log(message)
  table.insert(results.log, message)
end

--- Gives control back to Neovim for `ms` milliseconds.
function T.sleep(ms)
  local co = coroutine.running()
  vim.defer_fn(function()
    local ok, err = coroutine.resume(co)
    if not ok then
      finish(debug.traceback(co, err))
    end
  end, ms)
  coroutine.yield()
end

--- Waits until `condition()` returns a truthy value (returned), or fails the scenario.
function T.wait(what, condition, timeout_ms)
  local deadline = vim.loop.now() + (timeout_ms or 15000)
  while true do
    local value = condition()
    if value then
      return value
    end
    if vim.loop.now() > deadline then
      error('timed out waiting for ' .. what, 0)
    end
    T.sleep(20)
  end
end

--- Types keys as a user would (mappings apply) and lets Neovim process them.
function T.feed(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), 'mt', false)
  T.sleep(30)
end

function T.lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr or 0, 0, -1, false)
end

--- Waits for the ghostline client of the current buffer to finish initializing.
function T.client()
  return T.wait('the ghostline client', function()
    local client = require('ghostline.util').client(0)
    return client and client.server_capabilities and client or nil
  end, 20000)
end

--- The server's counters through `ghostline.stats` (synchronously, for assertions).
function T.stats()
  local result
  require('ghostline').stats(function(err, stats)
    result = err and { error = err.message } or stats
  end)
  return T.wait('ghostline.stats', function()
    return result
  end)
end

function T.run(scenario)
  local co = coroutine.create(function()
    scenario(T)
  end)
  vim.defer_fn(function()
    finish('scenario did not finish in time')
  end, tonumber(os.getenv('GHOSTLINE_E2E_TIMEOUT') or '45000'))
  local ok, err = coroutine.resume(co)
  if not ok then
    finish(debug.traceback(co, err))
    return
  end
  -- The scenario finishes from inside a later resume; poll for its end.
  local timer = vim.loop.new_timer()
  timer:start(20, 20, vim.schedule_wrap(function()
    if coroutine.status(co) == 'dead' and not finished then
      timer:stop()
      finish(nil)
    end
  end))
end

return T
