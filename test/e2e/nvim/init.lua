-- The init file of the end-to-end Neovim sessions: puts clients/nvim (unmodified) on the
-- runtimepath the way a plugin manager would, calls setup() with the test's options (the server
-- command, taken from the environment) and runs the scenario named in $GHOSTLINE_E2E_SCENARIO.
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local root = vim.fn.fnamemodify(here, ':h:h:h')
vim.opt.runtimepath:prepend(root .. '/clients/nvim')
package.path = here .. '/?.lua;' .. package.path

vim.o.swapfile = false
vim.o.completeopt = 'menuone,noinsert'
vim.o.shortmess = vim.o.shortmess .. 'c'

-- A broken setup must end the session with a result, not leave Neovim waiting at a prompt.
local ok, err = pcall(function()
  local opts = vim.fn.json_decode(os.getenv('GHOSTLINE_E2E_OPTS') or '{}')
  if type(opts) ~= 'table' then
    opts = {}
  end
  opts.cmd = vim.fn.json_decode((assert(os.getenv('GHOSTLINE_E2E_CMD'), 'GHOSTLINE_E2E_CMD is not set')))
  require('ghostline').setup(opts)
end)

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local harness = require('harness')
    if not ok then
      harness.run(function()
        error('setup failed: ' .. tostring(err), 0)
      end)
      return
    end
    local name = os.getenv('GHOSTLINE_E2E_SCENARIO') or ''
    local scenario = require('scenarios')[name] or function()
      error('no scenario ' .. name, 0)
    end
    harness.run(scenario)
  end,
})
