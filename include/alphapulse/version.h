/* The program's version, for --version and for what it tells other servers
 * (User-Agent headers): one place, below every module that says it. */
#ifndef ALPHAPULSE_VERSION_H
#define ALPHAPULSE_VERSION_H

#define ALPHAPULSE_VERSION "0.1.0"

#endif
