package dev.music.common.web;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat refuses some requests before Spring sees them (an encoded slash or NUL in the path, a malformed URI)
 * and answers with its own HTML page. This valve answers those in the same JSON shape as every other error,
 * without a stack trace or server version.
 */
public class JsonErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		try {
			response.setContentType("application/json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				String message = (status < 500) ? "request refused: malformed URL or request" : "internal error";
				writer.write("{\"error\":\"" + message + "\",\"request_id\":\"" + RequestIds.current() + "\"}");
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client went away; nothing more to tell it
		}
	}

}
