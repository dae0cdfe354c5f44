/* N threads x M unprotected increments of one shared counter (read, add, write),
   the model of such's threads/counter scene. Final values are recorded in `seen`. */
#ifndef N
#define N 2
#endif
#ifndef M
#define M 2
#endif
byte counter = 0;
byte finished = 0;
proctype worker() {
    byte tmp; byte i = 0;
    do
    :: i < M -> tmp = counter; tmp = tmp + 1; counter = tmp; i++
    :: else -> break
    od;
    finished++   /* atomic in Promela: one statement */
}
init {
    atomic { byte k = 0; do :: k < N -> run worker(); k++ :: else -> break od }
    finished == N;
    assert(counter == N * M)   /* fails exactly when an update was lost */
}
