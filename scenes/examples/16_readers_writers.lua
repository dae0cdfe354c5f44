-- title: Readers and writers with semaphores: many readers or one writer
-- model: threads & mutexes
-- verdict: nothing goes wrong: no reader ever sees a writer inside
-- finds: nothing
-- The first reader in locks writers out; the last one out lets them in.
local room = semaphore(1)        -- held by the writer, or by the readers as a group
local count_lock = mutex()
local readers = shared(0)
local writing = shared(false)

local function reader()
  count_lock:lock()
  readers.value = readers.value + 1
  if readers.value == 1 then room:acquire() end
  count_lock:unlock()
  assert(not writing.value, "a reader saw a writer")
  count_lock:lock()
  readers.value = readers.value - 1
  if readers.value == 0 then room:release() end
  count_lock:unlock()
end

local function writer()
  room:acquire()
  writing.value = true
  writing.value = false
  room:release()
end

go("R1", reader)
go("R2", reader)
go("W", writer)
